// Node-side jest tests talk HTTP through jsforce 3 (undici), which needs Node's Symbol.dispose inside jest's realm.
import { installDisposeSymbols } from '../services/local-org/src/testing/symbol-dispose';

installDisposeSymbols();
