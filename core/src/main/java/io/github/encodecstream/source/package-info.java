/**
 * Byte sources an {@code .ecdc} file is read from: a local file (random access), a plain
 * forward-only stream, and http(s) (streamed; Range requests where the server takes them). They
 * know nothing of audio.
 */
package io.github.encodecstream.source;
