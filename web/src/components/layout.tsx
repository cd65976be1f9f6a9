import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { queries } from '../api/queries.ts';
import type { Role } from '../../../src/contracts/common.ts';
import { hasRole } from '../../../src/contracts/roles.ts';
import { ROLE_LABELS, useMe, useSession } from '../session/session.tsx';

interface NavItem {
  to: string;
  label: string;
  role: Role;
  /** Shows the number of access requests waiting for a decision next to the label. */
  pendingCount?: boolean;
}

const NAV: { heading: string; items: NavItem[] }[] = [
  {
    heading: 'Content',
    items: [
      { to: '/documents', label: 'Documents', role: 'viewer' },
      { to: '/import', label: 'Import from Notion', role: 'content_manager' },
      { to: '/integrations', label: 'Integrations', role: 'viewer' },
    ],
  },
  {
    heading: 'Trust center',
    items: [
      { to: '/settings', label: 'Profile and domain', role: 'content_manager' },
      { to: '/overview-sections', label: 'Overview sections', role: 'content_manager' },
      { to: '/contacts', label: 'Contacts', role: 'content_manager' },
      { to: '/access-requests', label: 'Access requests', role: 'content_manager', pendingCount: true },
      { to: '/nda', label: 'NDA', role: 'content_manager' },
    ],
  },
  {
    heading: 'Administration',
    items: [
      { to: '/notifications', label: 'My notifications', role: 'content_manager' },
      { to: '/users', label: 'Users', role: 'admin' },
      { to: '/audit', label: 'Audit log', role: 'admin' },
    ],
  },
];

/** Header, sandbox banner, navigation (only what the role can open) and the current page. */
export function Layout() {
  const me = useMe();
  const { logout } = useSession();
  // On a phone the navigation folds away behind the menu button; it is open only on the page it was opened
  // on, so following a link folds it again.
  const { pathname } = useLocation();
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;
  const sections = NAV.map((s) => ({ ...s, items: s.items.filter((i) => hasRole(me.user.role, i.role)) })).filter(
    (s) => s.items.length > 0,
  );
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {me.sandbox && (
        <div className="sandbox-banner" role="note">
          <strong>Sandbox mode</strong> — Notion and Nango are simulated with demo data. Nothing here reaches a real
          workspace.
        </div>
      )}
      <header className="topbar">
        <button
          type="button"
          className="btn btn-ghost nav-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpenOn(menuOpen ? null : pathname)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          <span>Trust Center</span>
          <span className="tenant" title={`Tenant: ${me.tenant.slug}`}>
            {me.tenant.name}
          </span>
        </div>
        <div className="user-menu">
          <div className="user-id">
            <span className="user-name">{me.user.name || me.user.email}</span>
            <span className="user-meta">
              {me.user.name ? `${me.user.email} · ` : ''}
              <span className="role">{ROLE_LABELS[me.user.role]}</span>
            </span>
          </div>
          <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="main-nav" className={menuOpen ? 'sidenav' : 'sidenav closed'} aria-label="Main">
          {sections.map((section) => (
            <div key={section.heading} className="nav-section">
              <h2 className="nav-heading">{section.heading}</h2>
              <ul>
                {section.items.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to}>
                      {item.label}
                      {item.pendingCount && <PendingCount />}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** The number of access requests waiting, as a small badge; nothing while none wait or it is unknown. */
function PendingCount() {
  const count = useQuery(queries.pendingRequestCount);
  const pending = count.data?.pending ?? 0;
  if (pending === 0) return null;
  return (
    <span className="nav-count" data-testid="pending-count">
      {pending > 99 ? '99+' : pending}
      <span className="visually-hidden"> waiting</span>
    </span>
  );
}

/** Page title block with optional actions on the right. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Trust Center admin`;
  }, [title]);
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
