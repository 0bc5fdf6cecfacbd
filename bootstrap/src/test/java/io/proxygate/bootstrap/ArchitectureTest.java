package io.proxygate.bootstrap;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the hexagon's arrows pointing inward; fails if a layer it names has no classes (a rule that cannot fail). */
class ArchitectureTest {
    private static final String DOMAIN = "io.proxygate.domain..";
    private static final String APPLICATION = "io.proxygate.application..";
    private static final String HTTP_IN = "io.proxygate.adapter.in.http..";
    private static final String UPSTREAM_OUT = "io.proxygate.adapter.out.upstream..";
    private static final String PERSISTENCE_OUT = "io.proxygate.adapter.out.persistence..";
    private static final String BOOTSTRAP = "io.proxygate.bootstrap..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.proxygate");
    }

    @Test
    void everyNamedLayerHasClasses() {
        for (String layer : new String[]{DOMAIN, APPLICATION, HTTP_IN, UPSTREAM_OUT, PERSISTENCE_OUT, BOOTSTRAP}) {
            String prefix = layer.substring(0, layer.length() - 2);
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(prefix)))
                    .as("layer %s has classes", layer).isTrue();
        }
    }

    @Test
    void dependenciesPointInward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Domain").definedBy(DOMAIN)
                .layer("Application").definedBy(APPLICATION)
                .layer("HttpIn").definedBy(HTTP_IN)
                .layer("UpstreamOut").definedBy(UPSTREAM_OUT)
                .layer("PersistenceOut").definedBy(PERSISTENCE_OUT)
                .layer("Bootstrap").definedBy(BOOTSTRAP)
                .whereLayer("Bootstrap").mayNotBeAccessedByAnyLayer()
                .whereLayer("HttpIn").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("UpstreamOut").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("PersistenceOut").mayOnlyBeAccessedByLayers("Bootstrap")
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Bootstrap", "HttpIn", "UpstreamOut",
                        "PersistenceOut")
                .check(classes);
    }

    @Test
    void coreUsesNoFrameworks() {
        noClasses().that().resideInAnyPackage(DOMAIN, APPLICATION).should().dependOnClassesThat()
                .resideInAnyPackage("io.dropwizard..", "org.glassfish.jersey..", "jakarta.ws.rs..",
                        "com.fasterxml.jackson..", "org.jdbi..", "org.apache.hc..", "org.eclipse.jetty..",
                        "org.slf4j..")
                .check(classes);
    }

    @Test
    void outboundPortsSpeakNoUseCaseTypes() {
        noClasses().that().resideInAPackage("io.proxygate.application.port.out..").should().dependOnClassesThat()
                .resideInAPackage("io.proxygate.application.proxy..")
                .check(classes);
    }

    @Test
    void domainKnowsNothingOfTheApplication() {
        noClasses().that().resideInAPackage(DOMAIN).should().dependOnClassesThat().resideInAPackage(APPLICATION)
                .check(classes);
    }
}
