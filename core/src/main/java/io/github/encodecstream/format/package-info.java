/**
 * The {@code .ecdc} file header and what it says: {@link io.github.encodecstream.format.EcdcHeader}
 * reads and writes the header, {@link io.github.encodecstream.format.EcdcMetadata} is its JSON
 * metadata (reference and Encodec-Stream keys, validated), {@link io.github.encodecstream.format.ModelFamily}
 * the two models as the format sees them (rates, channels, codebooks, segmentation), and
 * {@link io.github.encodecstream.format.EcdcFormatException} with its subclasses
 * ({@link io.github.encodecstream.format.NotEcdcException},
 * {@link io.github.encodecstream.format.TruncatedEcdcException},
 * {@link io.github.encodecstream.format.UnsupportedEcdcFeatureException}) the format's errors,
 * each with the byte offset where the file went wrong.
 *
 * <p>A file is {@code ECDC}, a version byte, a big-endian uint32 {@code n}, {@code n} bytes of
 * UTF-8 JSON metadata, then one record per segment: a big-endian float32 scale for the 48 kHz
 * model, then the codes. The segment records (their layout and the 10-bit code packing) are read
 * outside this package, by the internal {@code codes} package ({@code SegmentLayout},
 * {@code CodeReader}); {@link io.github.encodecstream.codec.EcdcCodes} gives them to applications.
 *
 * <p>This package knows nothing of model weights, ONNX or Java Sound, and imports nothing else of
 * the project.
 */
package io.github.encodecstream.format;
