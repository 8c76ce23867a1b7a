/**
 * Internal: the engine that turns a checkpoint into networks that run, under the decode and encode
 * paths of {@link io.github.encodecstream.codec}. Not exported; it may change in any release.
 *
 * <ul>
 *   <li>{@link io.github.encodecstream.engine.ModelCache}: prepared models, the ONNX graphs and
 *       codebooks of a checkpoint's decoder or encoder built once and kept in the cache directory
 *       (with {@code PreparedManifest}, each file's size, SHA-256 and identity stamp; loaded only from private folders), loaded into
 *       {@link io.github.encodecstream.engine.NetworkSessions}.
 *   <li>{@link io.github.encodecstream.engine.DecoderModel} and
 *       {@link io.github.encodecstream.engine.EncoderModel}: one model's networks as the streams
 *       run them (tensors in and out through {@code OrtValues}, from per-thread direct buffers).
 *   <li>{@link io.github.encodecstream.engine.RunLimit}: at most the models' CPU budget of network
 *       runs at once across all their streams, and the safe release of the sessions on close.
 *   <li>{@link io.github.encodecstream.engine.Workers}: the threads one decoder or encoder runs its
 *       networks on.
 * </ul>
 *
 * {@link io.github.encodecstream.codec.Models} (public) loads the networks through this package
 * and shares them between streams.
 */
package io.github.encodecstream.engine;
