/**
 * The one implementation of ranged, resumable, validated http(s) reading behind
 * {@code source.HttpByteSource} and the model downloader: settings and backoff, one request with
 * its redirects and headers ({@link io.github.encodecstream.http.Exchange}), the file's identity
 * across requests ({@link io.github.encodecstream.http.Resource}) and a stream that resumes after
 * network failures ({@link io.github.encodecstream.http.ResumingInputStream}). The network is
 * waited for on threads of their own, so that {@code close()} and the deadline end any wait at
 * once. Internal: not exported.
 */
package io.github.encodecstream.http;
