/** What other modules and the app's shells use of auth: the signed-in account and its roles, the account picker, the sign-in form. */
export { holdsAny, useLogout, useMe } from './api.ts';
export { AccountSelect } from './components/account-select.tsx';
export { LoginForm } from './components/login-form.tsx';
