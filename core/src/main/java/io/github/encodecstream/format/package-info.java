/**
 * The {@code .ecdc} container: header and metadata (reference and Encodec-Stream keys), the
 * segment geometry and byte offsets of each model, the 10-bit code packing, and the format's
 * exceptions.
 *
 * <p>A file is {@code ECDC}, a version byte, a big-endian uint32 {@code n}, {@code n} bytes of
 * UTF-8 JSON metadata ({@link io.github.encodecstream.format.EcdcHeader}), then one record per
 * segment ({@link io.github.encodecstream.codes.SegmentLayout}): a big-endian float32 scale
 * for the 48 kHz model, then the codes, read by {@link io.github.encodecstream.codes.CodeReader}.
 *
 * <p>This package knows nothing of model weights, ONNX or Java Sound, and imports nothing else of
 * the project.
 */
package io.github.encodecstream.format;
