/**
 * Meta's EnCodec checkpoints: found in a models directory or the per-user cache, else downloaded
 * into the cache and checked against the SHA-256 prefix of their official names.
 *
 * <p>{@link io.github.encodecstream.store.ModelStore} is the entry point (built from system
 * properties and environment variables, or by its builder); a failed download throws
 * {@link io.github.encodecstream.store.ModelDownloadException}.
 * {@link io.github.encodecstream.store.CacheLayout} says where each file goes in the cache
 * directory, for the library's engine. The other classes here are internal: the downloader and
 * the check of cached checkpoints against their stamps.
 */
package io.github.encodecstream.store;
