package io.proxygate.domain.translate;

import io.proxygate.domain.clientkey.Globs;
import io.proxygate.domain.credential.Api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's {@code [translate]} table: whether a request may be served by the other API family, and which model
 * the other family serves in its place. Pure: the caller says what it knows about the requested family's credentials,
 * the policy says whether (and how) to translate.
 *
 * @param enabled              off by default, so nothing changes for existing users
 * @param fallbackOnExhaustion also translate when the requested family has credentials but every one is spent
 * @param models               requested-model glob to served model, first match wins (file order)
 */
public record TranslationPolicy(boolean enabled, boolean fallbackOnExhaustion, List<ModelMapping> models) {
    public static final TranslationPolicy OFF = new TranslationPolicy(false, true, List.of());

    public TranslationPolicy {
        models = List.copyOf(models);
    }

    /** One {@code [translate.models]} line: {@code "claude-sonnet-*" = "gpt-5-codex"}. */
    public record ModelMapping(String requestedGlob, String servedModel) {
        public ModelMapping {
            Objects.requireNonNull(requestedGlob, "requestedGlob");
            Objects.requireNonNull(servedModel, "servedModel");
            if (requestedGlob.isBlank() || servedModel.isBlank()) {
                throw new IllegalArgumentException("a [translate.models] entry needs a model on both sides");
            }
        }

        /** The family that serves {@link #servedModel}: Claude models are Messages, every other model Responses. */
        public Api servedBy() {
            return familyOf(servedModel);
        }
    }

    /** What the requested family looks like right now. */
    public enum FamilyState {
        /** It has a credential the router can offer: no translation. */
        ROUTABLE,
        /** It has no credential that could serve (none configured, all disabled or waiting for a login). */
        NONE_ROUTABLE,
        /** Its credentials exist but every one failed, is cooling down or has its window spent. */
        EXHAUSTED
    }

    /** The API family a model name belongs to: {@code claude-*} to Messages, everything else to Responses. */
    public static Api familyOf(String model) {
        return model != null && model.toLowerCase(Locale.ROOT).startsWith("claude") ? Api.MESSAGES : Api.RESPONSES;
    }

    /** The mapping for {@code model} whose served model lies in another family than {@code requested}. */
    public Optional<ModelMapping> mappingFor(Api requested, String model) {
        if (model == null) {
            return Optional.empty();
        }
        for (ModelMapping m : models) {
            if (Globs.matches(m.requestedGlob(), model)) {
                // First match decides; a mapping into the requested family itself is no translation.
                return m.servedBy() == requested ? Optional.empty() : Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a request for {@code model} on {@code requested} goes to the other family now, and why.
     *
     * @param otherFamilyServes whether the pool has a credential of the target family at all
     */
    public Optional<Translation> decide(Api requested, String model, FamilyState state, boolean otherFamilyServes) {
        if (!enabled || state == FamilyState.ROUTABLE || !otherFamilyServes) {
            return Optional.empty();
        }
        if (state == FamilyState.EXHAUSTED && !fallbackOnExhaustion) {
            return Optional.empty();
        }
        return mappingFor(requested, model).map(m -> new Translation(requested, m.servedBy(), model, m.servedModel(),
                state == FamilyState.NONE_ROUTABLE
                        ? "no " + Translation.wireName(requested) + " credential can serve"
                        : "every " + Translation.wireName(requested) + " credential is exhausted"));
    }

    /** Why {@link #decide} would not translate, for the routing explanation (empty when it would). */
    public String whyNot(Api requested, String model, FamilyState state, boolean otherFamilyServes) {
        if (!enabled) {
            return "translation is off ([translate] enabled = false)";
        }
        if (mappingFor(requested, model).isEmpty()) {
            return "no [translate.models] entry maps " + model + " to the other family";
        }
        if (state == FamilyState.ROUTABLE) {
            return "the requested family has a routable credential";
        }
        if (!otherFamilyServes) {
            return "no credential of the other family in the pool";
        }
        if (state == FamilyState.EXHAUSTED && !fallbackOnExhaustion) {
            return "the requested family is exhausted and fallback_on_exhaustion = false";
        }
        return "";
    }
}
