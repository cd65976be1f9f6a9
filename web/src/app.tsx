import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Role } from '../../src/contracts/common.ts';
import { hasRole } from '../../src/contracts/roles.ts';
import { createQueryClient } from './api/queries.ts';
import { Layout } from './components/layout.tsx';
import { EmptyState, Loading } from './components/states.tsx';
import { AccessRequestsPage } from './pages/access-requests-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { ContactPage } from './pages/contact-page.tsx';
import { ContactsPage } from './pages/contacts-page.tsx';
import { DocumentPage } from './pages/document-page.tsx';
import { DocumentsPage } from './pages/documents-page.tsx';
import { ImportPage } from './pages/import-page.tsx';
import { IntegrationsPage } from './pages/integrations-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NdaPage } from './pages/nda-page.tsx';
import { OverviewSectionsPage } from './pages/overview-sections-page.tsx';
import { NotificationsPage } from './pages/notifications-page.tsx';
import { TrustSettingsPage } from './pages/trust-settings-page.tsx';
import { NewDocumentPage } from './pages/new-document-page.tsx';
import { UsersPage } from './pages/users-page.tsx';
import { SessionProvider, useSession } from './session/session.tsx';

/** Pages behind sign-in; remembers where the user was going. */
function RequireSession({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined)
    return (
      <div className="center-page">
        <Loading />
      </div>
    );
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/** Pages a role may not open say so instead of failing on their API calls. */
function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { me } = useSession();
  if (!me || !hasRole(me.user.role, role)) {
    return <EmptyState title="You don't have access to this page">Ask an admin if you need it.</EmptyState>;
  }
  return children;
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/documents" replace />} />
        <Route path="documents" element={<DocumentsPage />} />
        <Route
          path="documents/new"
          element={
            <RequireRole role="content_manager">
              <NewDocumentPage />
            </RequireRole>
          }
        />
        <Route path="documents/:id" element={<DocumentPage />} />
        <Route
          path="import"
          element={
            <RequireRole role="content_manager">
              <ImportPage />
            </RequireRole>
          }
        />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route
          path="contacts"
          element={
            <RequireRole role="content_manager">
              <ContactsPage />
            </RequireRole>
          }
        />
        <Route
          path="contacts/:id"
          element={
            <RequireRole role="content_manager">
              <ContactPage />
            </RequireRole>
          }
        />
        <Route
          path="access-requests"
          element={
            <RequireRole role="content_manager">
              <AccessRequestsPage />
            </RequireRole>
          }
        />
        <Route
          path="settings"
          element={
            <RequireRole role="content_manager">
              <TrustSettingsPage />
            </RequireRole>
          }
        />
        <Route
          path="overview-sections"
          element={
            <RequireRole role="content_manager">
              <OverviewSectionsPage />
            </RequireRole>
          }
        />
        <Route
          path="nda"
          element={
            <RequireRole role="content_manager">
              <NdaPage />
            </RequireRole>
          }
        />
        <Route
          path="notifications"
          element={
            <RequireRole role="content_manager">
              <NotificationsPage />
            </RequireRole>
          }
        />
        <Route
          path="users"
          element={
            <RequireRole role="admin">
              <UsersPage />
            </RequireRole>
          }
        />
        <Route
          path="audit"
          element={
            <RequireRole role="admin">
              <AuditPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<EmptyState title="Page not found">Use the navigation on the left.</EmptyState>} />
      </Route>
    </Routes>
  );
}

/** The admin single-page app, mounted under /admin. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter basename="/admin">
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
