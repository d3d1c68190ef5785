import type { Config } from '../../platform/config.js';
import { diskStorage, type FileStorage } from '../../platform/storage.js';

const stores = new Map<string, FileStorage>();

/** The file storage of packages: the disk under CONTENT_DIR (one instance per folder). */
export function packageStorage(config: Pick<Config, 'contentDir'>): FileStorage {
  let store = stores.get(config.contentDir);
  if (!store) stores.set(config.contentDir, (store = diskStorage(config.contentDir)));
  return store;
}
