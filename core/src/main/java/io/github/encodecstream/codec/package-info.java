/**
 * Decoding and encoding {@code .ecdc} files with EnCodec's networks on ONNX Runtime.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link io.github.encodecstream.codec.EcdcDecoder}: a file's audio as float PCM, streamed
 *       chunk by chunk, with seeking; options in {@link io.github.encodecstream.codec.DecoderOptions}.
 *   <li>{@link io.github.encodecstream.codec.EcdcEncoder}: float PCM at the model's rate to a file;
 *       options (model, codebooks or bitrate, header keys) in
 *       {@link io.github.encodecstream.codec.EncoderOptions}.
 *       {@link io.github.encodecstream.codec.PcmEncoder} takes any rate and channel count.
 *   <li>{@link io.github.encodecstream.codec.EcdcCodes}: a file's codes and scales, without a model.
 *   <li>{@link io.github.encodecstream.codec.Models}: where the networks come from (a
 *       {@link io.github.encodecstream.store.ModelStore}, which finds or downloads Meta's
 *       checkpoints), the device and the number of threads; each model is loaded once per
 *       {@code Models} and shared by its streams.
 * </ul>
 *
 * <p>The other classes here are internal: the decode and encode paths, one per model
 * ({@code DecodePath}: the 24 kHz model as a causal stream, the 48 kHz model segment by segment
 * with overlap-add; {@code EncodePath}: the same two for encoding). They run on the internal
 * package {@code io.github.encodecstream.engine}: the loaded networks and their ONNX Runtime
 * sessions, the limit on runs at once, the worker threads, and the cache of prepared models.
 * Checkpoints are found and downloaded by the {@link io.github.encodecstream.store} package; audio
 * files are read for an encoder, and samples written as PCM or WAV, by the
 * {@link io.github.encodecstream.sound} package ({@code PcmSource}, {@code PcmWriter}).
 */
package io.github.encodecstream.codec;
