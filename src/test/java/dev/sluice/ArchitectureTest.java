package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.queues.contract.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers the README's architecture section describes: only `server`, `admin` (the admin API builds on
 * `server`, never the reverse) and `postgres` (for its datasource and client) know Quarkus and Vert.x, only
 * `store.mapdb` knows MapDB; the api works through `queues` alone, so a second backend can stand behind it, and the
 * two backends, `engine` and `postgres`, never import each other.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice");
    }

    @Test
    void coreLayersImportNoFrameworkOrStorageLibrary() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.sluice.queues..",
                        "dev.sluice.engine..",
                        "dev.sluice.store",
                        "dev.sluice.store.memory..",
                        "dev.sluice.api..",
                        "dev.sluice.protocol..",
                        "dev.sluice.auth..",
                        "dev.sluice.quota..",
                        "dev.sluice.init..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "io.vertx..", "org.mapdb..", "io.micrometer..", "jakarta..")
                .check(classes);
    }

    @Test
    void engineKnowsNothingOfProtocolsOrServer() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.sluice.api..", "dev.sluice.protocol..", "dev.sluice.server..", "dev.sluice.admin..")
                .check(classes);
    }

    @Test
    void quotasStandAlone() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.quota..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.sluice.engine..",
                        "dev.sluice.store..",
                        "dev.sluice.api..",
                        "dev.sluice.protocol..",
                        "dev.sluice.auth..",
                        "dev.sluice.server..",
                        "dev.sluice.admin..",
                        "dev.sluice.postgres..")
                .check(classes);
    }

    @Test
    void storeDependsOnNothingAboveIt() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.sluice.engine..",
                        "dev.sluice.api..",
                        "dev.sluice.protocol..",
                        "dev.sluice.server..",
                        "dev.sluice.admin..")
                .check(classes);
    }

    @Test
    void onlyTheAdminApiKnowsTheServerNotTheOtherWayRound() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.sluice.admin..")
                .check(classes);
    }

    @Test
    void exportAndImportKnowNoBackendButItsArchive() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.transfer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.sluice.engine..",
                        "dev.sluice.postgres..",
                        "dev.sluice.server..",
                        "dev.sluice.api..",
                        "io.quarkus..",
                        "io.vertx..")
                .check(classes);
    }

    @Test
    void theTwoBackendsNeverImportEachOther() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.sluice.postgres..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.postgres..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.engine..", "dev.sluice.store..")
                .check(classes);
    }

    @Test
    void postgresKnowsNothingOfProtocolsOrServer() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.postgres..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.api..", "dev.sluice.protocol..", "dev.sluice.server..", "org.mapdb..")
                .check(classes);
    }

    @Test
    void apiKnowsNoWireFormat() {
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.protocol..", "dev.sluice.server..", "com.fasterxml..")
                .check(classes);
    }

    @Test
    void apiAndAdminWorkThroughQueuesAlone() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.sluice.api..", "dev.sluice.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.engine..", "dev.sluice.store..")
                .check(classes);
    }

    @Test
    void queuesKnowOnlyTheJdkAndJackson() {
        classes()
                .that()
                .resideInAPackage("dev.sluice.queues..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.sluice.queues..", "java..", "com.fasterxml.jackson..")
                .check(classes);
    }

    /**
     * The contract's cases reach a backend through {@code Queues} alone; only {@code Backends}, the factory, knows
     * what stands behind it. So a second backend runs every case unchanged.
     */
    @Test
    void contractCasesKnowNoBackend() {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.sluice.queues");
        noClasses()
                .that()
                .resideInAPackage("dev.sluice.queues..")
                .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(Backends.class)))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.sluice.engine..", "dev.sluice.store..", "dev.sluice.postgres..")
                .check(tests);
    }
}
