package io.github.encodecstream.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Before a test class's tests: the readers, writers and conversions that {@code AudioSystem}
 * creates (the library's shared models) use the reference models
 * ({@link ReferenceCases#useForSharedModels()}). Use with {@code @ExtendWith}.
 */
public final class UsesReferenceModels implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        ReferenceCases.useForSharedModels();
    }
}
