package io.proxygate.domain.fallback;

/**
 * What applying a target variant does to a Messages request body. The decision is made here; the byte rewrite is
 * the adapter's (it owns JSON).
 */
public sealed interface VariantChange {
    /** {@code preserve} and {@code long-context}: the body's thinking settings stay as they are. */
    record Keep() implements VariantChange {
    }

    /** {@code default} and {@code none}: the {@code thinking} object is removed. */
    record RemoveThinking() implements VariantChange {
    }

    /**
     * {@code thinking-Nk}: {@code thinking = {"type":"enabled","budget_tokens":N*1000}}, and {@code max_tokens} raised
     * when it would not leave room for an answer after the thinking.
     */
    record SetThinking(long budgetTokens) implements VariantChange {
        /** Headroom added above the budget when {@code max_tokens} has to grow. */
        public static final long ANSWER_HEADROOM = 1024;

        public SetThinking {
            if (budgetTokens <= 0) {
                throw new IllegalArgumentException("thinking budget must be positive");
            }
        }

        /**
         * The {@code max_tokens} to send, given the request's value: unchanged unless it is positive and not above
         * the budget, then budget + {@value #ANSWER_HEADROOM}.
         */
        public long maxTokensFor(long requested) {
            return requested > 0 && requested <= budgetTokens ? budgetTokens + ANSWER_HEADROOM : requested;
        }
    }
}
