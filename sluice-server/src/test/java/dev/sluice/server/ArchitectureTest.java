package dev.sluice.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.server.store.Dialect;
import dev.sluice.server.door.RequestErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The direction of dependencies between our packages, checked on the compiled main classes. */
class ArchitectureTest {

    /** Packages that each hold one capability; the shared packages must not know them. */
    private static final String[] CAPABILITIES = {
        "dev.sluice.server.job..",
        "dev.sluice.server.ingest..",
        "dev.sluice.server.verify..",
        "dev.sluice.server.account..",
        "dev.sluice.server.dataset..",
        "dev.sluice.server.append..",
        "dev.sluice.server.export..",
        "dev.sluice.server.drop..",
        "dev.sluice.server.delivery..",
        "dev.sluice.server.api..",
        "dev.sluice.server.door..",
        "dev.sluice.server.compat.."
    };

    /** The seed-compatible front doors, one package each. */
    private static final String DOORS = "dev.sluice.server.compat..";
    /** The front-door kit the native API and the doors share. */
    private static final String KIT = "dev.sluice.server.door..";

    /** The main sources of this module; surefire runs with the module folder as working directory. */
    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    private static JavaClasses classes;

    @BeforeAll
    static void import_main_classes() {
        // the bean definitions and proxies Spring's AOT engine writes into target/classes when the module is packaged
        // (a second build without clean) are the framework's code, not ours
        ImportOption notGenerated = location -> !location.contains("__") && !location.contains("$$SpringCGLIB$$");
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(notGenerated)
                .importPackages("dev.sluice");
    }

    @Test
    void the_import_sees_both_core_and_server() {
        // given / when / then: an empty import would make every rule below pass vacuously
        assertThat(classes.containPackage("dev.sluice.core.result")).isTrue();
        assertThat(classes.containPackage("dev.sluice.server.job")).isTrue();
        assertThat(classes.contain(SluiceApplication.class)).isTrue();
    }

    @Test
    void core_depends_on_no_server_code_spring_or_jdbc() {
        noClasses().that().resideInAPackage("dev.sluice.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.server..", "org.springframework..",
                        "java.sql..")
                .check(classes);
    }

    @Test
    void shared_store_storage_and_problem_packages_depend_on_no_capability() {
        noClasses().that().resideInAnyPackage("dev.sluice.server.store..", "dev.sluice.server.storage..",
                        "dev.sluice.server.problem..")
                .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
                .check(classes);
    }

    @Test
    void only_the_store_package_names_a_dialect_or_a_database_driver() {
        // everything else asks the Dialect it is given, so what differs stays in one class per dialect
        noClasses().that().resideOutsideOfPackage("dev.sluice.server.store..")
                .should().accessField(Dialect.class, "SQLITE")
                .orShould().accessField(Dialect.class, "POSTGRESQL")
                .orShould().dependOnClassesThat().resideInAnyPackage("org.sqlite..", "org.postgresql..")
                .check(classes);
    }

    @Test
    void the_batch_lifecycle_is_entered_only_through_its_facade() {
        // given: the rule is not vacuous, the intake does create and queue batches (through the facade)
        assertThat(classes.get("dev.sluice.server.ingest.BatchIntake").getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getName().equals("dev.sluice.server.job.BatchLifecycle")))
                .isTrue();

        // when / then: the stores, the worker and the task descriptors of batches stay inside job
        noClasses().that().resideOutsideOfPackage("dev.sluice.server.job..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.BatchStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.ChunkStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.EventStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.BatchWorker")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.BatchTasks")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.JobStore")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.sluice.server.job.BatchState")
                .check(classes);
    }

    @Test
    void only_the_lifecycle_facade_and_the_worker_schedule_the_tasks_of_job() {
        DescribedPredicate<JavaMethodCall> scheduling = DescribedPredicate.describe("schedule a db-scheduler task",
                call -> call.getTarget().getOwner().isAssignableTo(SchedulerClient.class)
                        && call.getTarget().getName().startsWith("schedule"));
        // given: the rule is not vacuous, the facade does schedule (a batch's load, a deleted job's purge)
        assertThat(classes.get("dev.sluice.server.job.BatchLifecycle").getMethodCallsFromSelf().stream()
                .anyMatch(scheduling)).isTrue();

        // when / then (BatchTasks.schedule schedules what those two hand it, waking the scheduler after commit)
        noClasses().that().resideInAPackage("dev.sluice.server.job..")
                .and().doNotHaveFullyQualifiedName("dev.sluice.server.job.BatchLifecycle")
                .and().doNotHaveFullyQualifiedName("dev.sluice.server.job.BatchWorker")
                .and().doNotHaveFullyQualifiedName("dev.sluice.server.job.BatchTasks")
                .should().callMethodWhere(scheduling)
                .check(classes);
    }

    @Test
    void nothing_outside_api_depends_on_api() {
        noClasses().that().resideOutsideOfPackage("dev.sluice.server.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.sluice.server.api..")
                .check(classes);
    }

    @Test
    void only_api_uses_spring_web() {
        // given: the rule is not vacuous, the controllers do use Spring Web
        assertThat(classes.stream()
                .filter(c -> c.getPackageName().startsWith("dev.sluice.server.api"))
                .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.springframework.web")))
                .isTrue();

        // when / then: the native API, the seed-compatible front doors and their kit are the HTTP layers
        noClasses().that().resideOutsideOfPackages("dev.sluice.server.api..", DOORS, KIT)
                .should().dependOnClassesThat().resideInAPackage("org.springframework.web..")
                .check(classes);
    }

    @Test
    void front_doors_never_depend_on_each_other() {
        // given: four doors, so the rule is not vacuous
        assertThat(classes.stream().map(JavaClass::getPackageName).filter(name -> name.startsWith("dev.sluice.server.compat."))
                .map(name -> name.split("\\.")[4]).distinct())
                .containsExactlyInAnyOrder("append", "export", "refdata", "verification");

        // when / then
        slices().matching("dev.sluice.server.compat.(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void the_native_api_never_depends_on_a_front_door() {
        noClasses().that().resideInAPackage("dev.sluice.server.api..")
                .should().dependOnClassesThat().resideInAPackage(DOORS)
                .check(classes);
    }

    @Test
    void the_front_door_kit_knows_neither_the_native_api_nor_any_door() {
        noClasses().that().resideInAPackage(KIT)
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.server.api..", DOORS)
                .check(classes);
    }

    @Test
    void every_door_maps_its_errors_in_one_handler_from_the_kits_error_model() {
        // given: the error handlers of the native API and of each door
        Map<String, List<JavaClass>> handlers = classes.stream()
                .filter(c -> c.isAnnotatedWith(RestControllerAdvice.class))
                .filter(c -> c.getPackageName().startsWith("dev.sluice.server.compat.")
                        || c.getPackageName().equals("dev.sluice.server.api"))
                .collect(Collectors.groupingBy(JavaClass::getPackageName));

        // when / then: one per door and one for the native API, each with one handler method asking the kit
        assertThat(handlers.keySet()).containsExactlyInAnyOrder("dev.sluice.server.api",
                "dev.sluice.server.compat.append", "dev.sluice.server.compat.export",
                "dev.sluice.server.compat.refdata", "dev.sluice.server.compat.verification");
        handlers.forEach((pkg, advices) -> {
            assertThat(advices).as("error handlers in " + pkg).hasSize(1);
            JavaClass advice = advices.get(0);
            assertThat(advice.getMethods().stream().filter(m -> m.isAnnotatedWith(ExceptionHandler.class)))
                    .as("@ExceptionHandler methods of " + advice.getName()).hasSize(1);
            assertThat(advice.getDirectDependenciesFromSelf().stream()
                    .anyMatch(d -> d.getTargetClass().isEquivalentTo(RequestErrors.class)))
                    .as(advice.getName() + " asks RequestErrors").isTrue();
        });
    }

    @Test
    void every_package_under_the_server_has_a_package_info() {
        // given: every package below dev.sluice.server that holds a main class
        Set<String> packages = classes.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith("dev.sluice.server."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(packages).contains("dev.sluice.server.job", "dev.sluice.server.store", "dev.sluice.server.api");

        // when: package-info.java holds only Javadoc, so javac emits no class for it; look at the sources
        List<String> missing = packages.stream()
                .filter(name -> !Files.isRegularFile(
                        MAIN_SOURCES.resolve(name.replace('.', '/')).resolve("package-info.java")))
                .toList();

        // then
        assertThat(Files.isDirectory(MAIN_SOURCES.resolve("dev/sluice/server"))).isTrue();
        assertThat(missing).as("packages without package-info.java").isEmpty();
    }
}
