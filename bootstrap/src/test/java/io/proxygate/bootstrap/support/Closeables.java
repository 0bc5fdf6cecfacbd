package io.proxygate.bootstrap.support;

/** Closing what a test class opened in {@code @BeforeAll}. */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes every resource that is not null, in order, even when one fails: a {@code @BeforeAll} that failed part
     * way leaves the later fields null, and what it did open must still be closed. The first failure is thrown
     * after all were tried, with the later ones suppressed.
     */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Exception failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
