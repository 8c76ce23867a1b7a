/**
 * Meta's EnCodec checkpoints: found in a models directory or the per-user cache, else downloaded
 * into the cache (over https unless the user allows http). A checkpoint of the cache is checked
 * against the full SHA-256 and size pinned for its name by the library, else against those
 * recorded on its first use in an owner-only cache (trust on first use), else against the SHA-256
 * prefix in its name; a stamp spares the hashing only inside an owner-only folder.
 *
 * <p>{@link io.github.encodecstream.store.ModelStore} is the entry point (built from system
 * properties and environment variables, or by its builder); a failed download throws
 * {@link io.github.encodecstream.store.ModelDownloadException}.
 * {@link io.github.encodecstream.store.CacheLayout} says where each file goes in the cache
 * directory, for the library's engine. The other classes here are internal: the downloader, the
 * checks, the pins, the stamps and the download lock.
 */
package io.github.encodecstream.store;
