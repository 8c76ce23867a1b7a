package io.github.encodecstream.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file's identity without reading it: size, modification time and file key (device and inode on
 * POSIX), as one token of {@code [0-9A-Za-z:=,]}. A stamp that records a digest beside this token
 * lets a later start trust the digest while the file stays the same file; a file truncated,
 * rewritten or replaced gets another token. Only worth trusting inside a
 * {@linkplain PrivateFolders private folder}.
 */
public final class FileIdentity {
    private FileIdentity() {}

    /** The identity of {@code file} (not following a final symbolic link). */
    public static String of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.size() + ":" + a.lastModifiedTime().toMillis() + ":"
                + String.valueOf(a.fileKey()).replaceAll("[^A-Za-z0-9=,]", "");
    }
}
