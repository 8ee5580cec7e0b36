import { Clock, definePlugin, HttpRoutes, z } from '../../../sdk/index.js';

const Greeting = z.object({
  message: z.string().describe('The greeting'),
  at: z.iso.datetime().describe('When the engine answered'),
});

const GreetingQuery = z.object({
  name: z.string().trim().min(1).max(80).default('world').describe('Whom to greet'),
});

/**
 * The smallest useful plugin, written as an integrator would: one API route, one setting, the
 * engine's clock. `GET /api/v1/plugins/hello/greeting?name=Ada` answers
 * `{ "message": "Hello, Ada!", "at": "…" }`; the `greeting` setting replaces "Hello".
 */
export default definePlugin({
  manifest: {
    name: 'hello',
    version: '1.0.0',
    description: 'Sample: greets whoever asks, by API',
    engine: '^0.1.0',
    contracts: ['HttpRoutes', 'Clock'],
  },
  activate(context) {
    const routes = context.get<HttpRoutes>(HttpRoutes);
    const clock = context.get<Clock>(Clock);
    const greeting =
      typeof context.settings.greeting === 'string' ? context.settings.greeting : 'Hello';
    return routes.register({
      method: 'GET',
      path: '/greeting',
      operationId: 'helloGreeting',
      summary: 'Greets the given name',
      access: 'public',
      query: GreetingQuery,
      responses: { 200: { description: 'The greeting', schema: Greeting } },
      handler: async ({ query }) => ({
        body: { message: `${greeting}, ${query.name}!`, at: clock.now().toISOString() },
      }),
    });
  },
});
