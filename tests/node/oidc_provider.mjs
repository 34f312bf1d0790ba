// A real OpenID provider (oidc-provider 9, certified) for the tests, on loopback.
// Usage: node oidc_provider.mjs '{"client_id", "client_secret", "redirect_uris": [...],
//                                 "accounts": {"login": {"email", "email_verified", "name"}}}'
// Listens on 127.0.0.1 on a free port and prints {"issuer": "http://127.0.0.1:PORT"}.
// Sign-in uses the provider's development login form: any login names the account
// (its claims come from "accounts", else email = login, verified); consent is
// granted automatically, as for a council's own first-party app.
import http from 'node:http';
import Provider from 'oidc-provider';

const cfg = JSON.parse(process.argv[2] || '{}');
const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: cfg.client_id,
      client_secret: cfg.client_secret,
      redirect_uris: cfg.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    async findAccount(ctx, id) {
      const claims = (cfg.accounts || {})[id] || { email: id, email_verified: true };
      return { accountId: id, async claims() { return { sub: id, ...claims }; } };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false, // the id_token carries the e-mail claims, as Entra ID's does
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['tests-only-cookie-key'] },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
