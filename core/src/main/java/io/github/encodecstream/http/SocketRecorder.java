package io.github.encodecstream.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The https sockets of one connection, made by the given factory and remembered, so that
 * {@link #close()} can end a read blocked on one of them from another thread at once (an
 * {@link HttpsURLConnection} cannot do it: its {@code disconnect()} waits for the read). One per
 * connection: the JDK keeps an idle https connection for reuse only with the same factory object,
 * so these connections are not reused (a body read to its end is disconnected instead).
 */
final class SocketRecorder extends SSLSocketFactory {
    private final SSLSocketFactory factory;
    private final List<Socket> sockets = new ArrayList<>();
    private boolean closed;

    /** Over {@code factory}; null: the JVM's default for https. */
    SocketRecorder(SSLSocketFactory factory) {
        this.factory = factory != null ? factory : HttpsURLConnection.getDefaultSSLSocketFactory();
    }

    private Socket keep(Socket s) throws IOException {
        synchronized (this) {
            if (!closed) {
                sockets.add(s);
                return s;
            }
        }
        s.close();
        throw new IOException("closed");
    }

    /** Closes the sockets made so far, and those made later at once. */
    void close() {
        List<Socket> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(sockets);
            sockets.clear();
        }
        for (Socket s : all) {
            try {
                s.close();
            } catch (IOException e) {
                // closed: the reader gets its exception
            }
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return factory.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return factory.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return keep(factory.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return keep(factory.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return keep(factory.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return keep(factory.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return keep(factory.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return keep(factory.createSocket(address, port, localAddress, localPort));
    }
}
