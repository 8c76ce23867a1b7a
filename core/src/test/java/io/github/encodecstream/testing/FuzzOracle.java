package io.github.encodecstream.testing;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The oracle of the fuzz tests ({@code *FuzzTest}): an input may end normally, in an
 * {@link UnsupportedAudioFileException}, or in an {@link IOException} with a message (or in one
 * of the exceptions a target documents, with a message); anything else (another
 * {@link RuntimeException}, an {@link Error} such as {@link OutOfMemoryError}, an IOException
 * without a message) is a finding.
 */
public final class FuzzOracle {
    private FuzzOracle() {}

    /** A fuzz target's work on one input. */
    @FunctionalInterface
    public interface Body {
        /** Runs on the input. */
        void run() throws Exception;
    }

    /**
     * Runs {@code body}, accepting the allowed outcomes and, with a message, the exceptions in
     * {@code documented}; rethrows everything else.
     */
    @SafeVarargs
    public static void check(Body body, Class<? extends RuntimeException>... documented) {
        try {
            body.run();
        } catch (UnsupportedAudioFileException e) {
            // not this format: allowed
        } catch (IOException e) {
            requireMessage(e);
        } catch (RuntimeException e) {
            if (Arrays.stream(documented).noneMatch(c -> c.isInstance(e))) {
                throw e;
            }
            requireMessage(e);
        } catch (Exception e) {
            throw new AssertionError("undocumented checked exception: " + e, e);
        }
    }

    private static void requireMessage(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError(e.getClass().getName() + " without a message", e);
        }
    }

    /** Named seed inputs as the arguments of a {@code byte[]} fuzz test ({@code @MethodSource}). */
    public static Stream<Arguments> seeds(Map<String, byte[]> inputs) {
        return inputs.entrySet().stream().map(e -> Arguments.of(Named.of(e.getKey(), e.getValue())));
    }
}
