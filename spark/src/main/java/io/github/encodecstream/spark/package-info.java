/**
 * EnCodec on Apache Spark: {@link io.github.encodecstream.spark.EncodecFunctions}, the codec's
 * encode, codes, decode and metadata as DataFrame and SQL functions over binary columns.
 */
package io.github.encodecstream.spark;
