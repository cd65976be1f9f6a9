// Lint rules: typescript-eslint's recommended set, React hooks for the admin app, and the layering of
// ../README.md#architecture enforced with eslint-plugin-boundaries (each folder may import only the layers
// below it; only the composition root in src/app imports a connector, and only through its index.ts).
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Layers from the bottom up; each may import itself and everything listed before it. */
const LAYERS = [
  ['contracts', 'src/contracts'],
  ['platform', 'src/platform'],
  ['audit', 'src/audit'],
  ['accounts', 'src/accounts'],
  ['documents', 'src/documents'],
  ['trust-center', 'src/trust-center'],
  ['integrations', 'src/integrations'],
  ['public-site', 'src/public-site'],
];
const below = (type) => LAYERS.slice(0, LAYERS.findIndex(([t]) => t === type) + 1).map(([t]) => t);

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', 'data', 'test-artifacts', '.test-tmp', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        ...LAYERS.map(([type, path]) => ({ type, pattern: path })),
        { type: 'connector', pattern: 'src/connectors/*', capture: ['connector'] },
        { type: 'sandbox', pattern: 'src/sandbox' },
        { type: 'app', pattern: 'src/app' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            ...LAYERS.map(([type]) => ({
              from: { element: { type } },
              allow: { to: { element: { types: { anyOf: below(type) } } } },
            })),
            // A connector builds on the domains; its own files import each other freely.
            {
              from: { element: { type: 'connector' } },
              allow: { to: { element: { types: { anyOf: [...below('integrations'), 'connector'] } } } },
            },
            // The fakes stand in for Notion and Nango: they may share the platform and the contracts only.
            {
              from: { element: { type: 'sandbox' } },
              allow: { to: { element: { types: { anyOf: ['contracts', 'platform', 'sandbox'] } } } },
            },
            // The composition root wires everything.
            {
              from: { element: { type: 'app' } },
              allow: {
                to: { element: { types: { anyOf: ['app', ...LAYERS.map(([t]) => t), 'connector', 'sandbox'] } } },
              },
            },
          ],
        },
      ],
    },
  },
  {
    // Outside a connector, only its index.ts is visible: what it registers is its whole public surface.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/connectors/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/connectors/*/**', '!**/connectors/*/index.ts'],
              message: 'Import a connector only through its index.ts (what it registers is its public surface).',
            },
          ],
        },
      ],
    },
  },
);
