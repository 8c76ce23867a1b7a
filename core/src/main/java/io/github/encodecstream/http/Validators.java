package io.github.encodecstream.http;

/**
 * What identifies one version of a file: its {@code ETag}, {@code Last-Modified} and length.
 *
 * @param etag the {@code ETag}, or null
 * @param lastModified the {@code Last-Modified}, or null
 * @param length the file's length, or -1 when unknown
 */
public record Validators(String etag, String lastModified, long length) {
    /** None known. */
    public static final Validators NONE = new Validators(null, null, -1);

    /**
     * The {@code If-Range} value: the strong {@code ETag} (a weak one, {@code W/…}, may not be used
     * for ranges), else {@code Last-Modified}; null when there is neither.
     */
    public String ifRange() {
        return etag != null && !etag.startsWith("W/") ? etag : lastModified;
    }

    /** How {@code now} differs from this version (e.g. {@code ETag "a" became "b"}), or null when it may be the same. */
    public String changeTo(Validators now) {
        if (etag != null && now.etag != null && !etag.equals(now.etag)) {
            return "ETag " + etag + " became " + now.etag;
        }
        if (lastModified != null && now.lastModified != null && !lastModified.equals(now.lastModified)) {
            return "Last-Modified " + lastModified + " became " + now.lastModified;
        }
        if (length >= 0 && now.length >= 0 && length != now.length) {
            return "its length went from " + length + " to " + now.length + " bytes";
        }
        return null;
    }
}
