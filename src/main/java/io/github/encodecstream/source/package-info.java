/**
 * Byte sources an {@code .ecdc} file is read from: a local file (random access), a plain
 * forward-only stream, and later http(s) with Range requests. They know nothing of audio.
 */
package io.github.encodecstream.source;
