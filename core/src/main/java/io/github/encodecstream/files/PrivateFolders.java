package io.github.encodecstream.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The trust rule of the cache: what is loaded from it without being hashed (native libraries,
 * prepared models, checkpoints behind a stamp) must lie in a folder that only the current user can
 * change, the rule OpenSSH applies to {@code ~/.ssh}.
 *
 * <p>{@link #isPrivate(Path, Path)}: the folder and each parent up to the cache root (both included)
 * is a real folder (no symbolic link on the way below the root, whose own links are resolved
 * first), owned by the user running this process, and on POSIX file systems not writable by group
 * or others. On other file systems (Windows) only the owner is checked. {@link #create} makes
 * missing folders {@code 0700}.
 */
public final class PrivateFolders {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** The permissions that let others than the owner change a file or folder. */
    static final Set<PosixFilePermission> SHARED_WRITE = Set.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivateFolders() {}

    /**
     * Creates {@code dir} and its missing parents, each new one {@code 0700} on POSIX file systems
     * (folders that exist keep their mode); returns {@code dir}.
     */
    public static Path create(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        boolean posix = isPosix(absolute);
        for (Path p : missing) {
            try {
                if (posix) {
                    FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
                    Files.createDirectory(p, mode);
                } else {
                    Files.createDirectory(p);
                }
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                if (!Files.isDirectory(p)) {
                    throw raced;
                }
            }
        }
        return dir;
    }

    /** Makes the existing folder {@code dir} {@code 0700} (POSIX file systems; elsewhere nothing); returns it. */
    public static Path makePrivate(Path dir) throws IOException {
        if (isPosix(dir)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        return dir;
    }

    /**
     * Creates {@code dir} ({@code 0700}, with missing parents) only where the folder above it is
     * private under {@code root}, so that nothing is made in a cache others may write or that
     * belongs to someone else; then why {@code dir} is not private, or empty when it is. The root
     * itself is created ({@code 0700}) when missing. A folder that cannot be created is reported
     * as missing.
     */
    public static Optional<String> createIfTrusted(Path dir, Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            try {
                create(root);
            } catch (IOException | RuntimeException e) {
                return Optional.of(root + " cannot be created: " + e);
            }
        }
        Path above = dir.toAbsolutePath().getParent();
        Optional<String> why = above == null ? Optional.of(dir + " has no parent") : whyNotPrivate(above, root);
        if (why.isPresent()) {
            return why;
        }
        try {
            create(dir);
        } catch (IOException | RuntimeException e) {
            return Optional.of(dir + " cannot be created: " + e);
        }
        return whyNotPrivate(dir, root);
    }

    /**
     * Whether {@code dir} may be trusted: it is {@code root} or lies under it, and it and every
     * folder between them is owned by this process's user and (POSIX) not writable by group or
     * others, none a symbolic link. False when any of them is missing or cannot be read.
     */
    public static boolean isPrivate(Path dir, Path root) {
        return whyNotPrivate(dir, root).isEmpty();
    }

    /**
     * Why {@code dir} is not private under {@code root}, for a warning; empty when it is.
     *
     * @see #isPrivate(Path, Path)
     */
    public static Optional<String> whyNotPrivate(Path dir, Path root) {
        try {
            Path realRoot = root.toRealPath();
            Path absolute = dir.toAbsolutePath().normalize();
            Path absoluteRoot = root.toAbsolutePath().normalize();
            Path relative;
            if (absolute.startsWith(absoluteRoot)) {
                relative = absoluteRoot.relativize(absolute);
            } else if (absolute.startsWith(realRoot)) {
                relative = realRoot.relativize(absolute);
            } else {
                return Optional.of(dir + " is not inside " + root);
            }
            UserPrincipal user = currentUser(realRoot);
            Path p = realRoot;
            Optional<String> why = whyNotOwnerOnly(p, user, true);
            for (int i = 0; why.isEmpty() && i < relative.getNameCount() && !relative.toString().isEmpty(); i++) {
                p = p.resolve(relative.getName(i));
                why = whyNotOwnerOnly(p, user, true);
            }
            return why;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.of(dir + " cannot be checked: " + e);
        }
    }

    /**
     * Whether {@code file} is a regular file (not a link) owned by this process's user and, on
     * POSIX file systems, not writable by group or others: the rule for the files a stamp vouches
     * for, as {@link #isPrivate} is for folders.
     */
    public static boolean isOwnerOnlyFile(Path file) throws IOException {
        return whyNotOwnerOnly(file, currentUser(file), false).isEmpty();
    }

    /** Why {@code p} is not a folder (or regular file) of {@code user} that only they may change; empty when it is. */
    private static Optional<String> whyNotOwnerOnly(Path p, UserPrincipal user, boolean folder) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return Optional.of(p + " is a symbolic link");
        }
        if (folder ? !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) : !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(p + (folder ? " is not a folder" : " is not a regular file"));
        }
        if (isPosix(p)) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.owner().equals(user)) {
                return Optional.of(p + " is owned by " + a.owner().getName() + ", not " + user.getName());
            }
            for (PosixFilePermission w : SHARED_WRITE) {
                if (a.permissions().contains(w)) {
                    return Optional.of(p + " is writable by " + (w == PosixFilePermission.GROUP_WRITE ? "its group" : "others")
                            + " (" + PosixFilePermissions.toString(a.permissions()) + ")");
                }
            }
            return Optional.empty();
        }
        UserPrincipal owner = Files.getFileAttributeView(p, FileOwnerAttributeView.class, LinkOption.NOFOLLOW_LINKS).getOwner();
        return owner.equals(user) ? Optional.empty() : Optional.of(p + " is owned by " + owner.getName());
    }

    /** Whether {@code p}'s file system has POSIX permissions. */
    public static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * The user this process runs as, as {@code anywhere}'s file system names users: from the
     * operating system, not from the {@code user.name} property: on Linux the owner of
     * {@code /proc/self} (one {@code stat}; the process's effective user), elsewhere
     * {@link ProcessHandle.Info#user()} (some 40 ms on its first call).
     */
    static UserPrincipal currentUser(Path anywhere) throws IOException {
        Path self = anywhere.getFileSystem().getPath("/proc/self");
        if (anywhere.getFileSystem() == java.nio.file.FileSystems.getDefault() && Files.isDirectory(self)) {
            return Files.getOwner(self);
        }
        String name = ProcessHandle.current().info().user()
                .orElseThrow(() -> new FileSystemException("the user running this process is unknown"));
        // Windows reports DOMAIN\\user; the lookup accepts it.
        return anywhere.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
    }
}
