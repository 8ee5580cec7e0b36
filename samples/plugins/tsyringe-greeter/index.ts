import 'reflect-metadata';
import { container as rootContainer, inject, injectable } from 'tsyringe';
import {
  bridgeToTsyringe,
  Bus,
  Clock,
  definePlugin,
  HttpRoutes,
  z,
  type Disposable,
} from '../../../sdk/index.js';

const GREETED = 'tsyringe-greeter.greeted';

/** Makes greetings; the engine's clock comes through the bridge. */
@injectable()
class GreetingService {
  constructor(@inject(Clock) private readonly clock: Clock) {}

  greet(name: string): { message: string; at: string } {
    return { message: `Greetings, ${name}.`, at: this.clock.now().toISOString() };
  }
}

/** Counts greetings from the bus, as another node's plugin would see them too. */
@injectable()
class GreetingCounter {
  count = 0;

  constructor(@inject(Bus) private readonly bus: Bus) {}

  listen(): Promise<Disposable> {
    return this.bus.subscribe(GREETED, () => {
      this.count += 1;
    });
  }
}

const Body = z.object({ name: z.string().trim().min(1).max(80) });
const Greeting = z.object({ message: z.string(), at: z.string() });
const Stats = z.object({ greeted: z.number().int().describe('Greetings seen on the bus') });

/**
 * A plugin that brings its own tsyringe container, as a team used to tsyringe would write it:
 * `bridgeToTsyringe` puts the declared engine contracts into that container, and the classes
 * inject them with the engine's own tokens.
 */
export default definePlugin({
  manifest: {
    name: 'tsyringe-greeter',
    version: '1.0.0',
    description: 'Sample: a plugin with its own tsyringe container',
    engine: '^0.1.0',
    contracts: ['HttpRoutes', 'Clock', 'Bus'],
  },
  async activate(context) {
    const container = bridgeToTsyringe(context, rootContainer.createChildContainer());
    container.registerSingleton(GreetingCounter);
    const routes = container.resolve<HttpRoutes>(HttpRoutes);
    const greeter = container.resolve(GreetingService);
    const counter = container.resolve(GreetingCounter);
    const bus = container.resolve<Bus>(Bus);
    await counter.listen();
    return [
      routes.register({
        method: 'POST',
        path: '/greetings',
        operationId: 'greeterGreet',
        summary: 'Greets a name and tells the bus',
        body: Body,
        responses: { 201: { description: 'Greeted', schema: Greeting } },
        handler: async ({ body }) => {
          await bus.publish(GREETED, { name: body.name });
          return { status: 201, body: greeter.greet(body.name) };
        },
      }),
      routes.register({
        method: 'GET',
        path: '/stats',
        operationId: 'greeterStats',
        summary: 'How many greetings the bus carried',
        responses: { 200: { description: 'Counts', schema: Stats } },
        handler: async () => ({ body: { greeted: counter.count } }),
      }),
      { dispose: () => container.dispose() },
    ];
  },
});
