import { Bus } from '../../engine/contracts/bus-contract.js';
import type { EngineModule } from '../../engine/contracts/engine-module-contract.js';
import { MemoryBus } from './memory-bus.js';

/** The in-process bus: right for one node; a cluster uses the Redis bus instead. */
const busModule: EngineModule = {
  name: 'bus-memory',
  provides: [Bus],
  async load(context) {
    context.provide(Bus, new MemoryBus(context.logger));
  },
};

export default busModule;
