package org.openswanj.pluto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.openswanj.pluto.daemon.BackendFactory;

/** The layering ARCHITECTURE.md promises, checked on the compiled classes of pluto (tests excluded). */
@AnalyzeClasses(packages = "org.openswanj.pluto", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {
  /** The exchanges are handed the loop, an SA watcher and the installer; they never reach back for the daemon. */
  @ArchTest
  static final ArchRule enginesKnowNeitherDaemonNorWhack = noClasses()
      .that().resideInAnyPackage("org.openswanj.pluto.ikev1..", "org.openswanj.pluto.ikev2..",
          "org.openswanj.pluto.engine..")
      .should().dependOnClassesThat().resideInAnyPackage("org.openswanj.pluto.daemon..", "org.openswanj.whack..")
      .because("the daemon maps the engines' outcomes to whack reply codes (ARCHITECTURE.md)");

  /** The two IKE versions are peers: what they share (loop, installer, settings, serials) lives in engine. */
  @ArchTest
  static final ArchRule ikev1DoesNotLeanOnIkev2 = noClasses()
      .that().resideInAPackage("org.openswanj.pluto.ikev1..")
      .should().dependOnClassesThat().resideInAPackage("org.openswanj.pluto.ikev2..");

  @ArchTest
  static final ArchRule ikev2DoesNotLeanOnIkev1 = noClasses()
      .that().resideInAPackage("org.openswanj.pluto.ikev2..")
      .should().dependOnClassesThat().resideInAPackage("org.openswanj.pluto.ikev1..");

  /** No two packages of pluto import each other, directly or around a loop. */
  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("org.openswanj.pluto.(*)..").should().beFreeOfCycles();

  /** protostack= picks the backend in one place; everything else sees the KernelBackend SPI. */
  @ArchTest
  static final ArchRule concreteBackendsOnlyInTheFactory = noClasses()
      .that().doNotHaveFullyQualifiedName(BackendFactory.class.getName())
      .should().dependOnClassesThat().resideInAnyPackage("org.openswanj.kernel.netkey..",
          "org.openswanj.kernel.klips..", "org.openswanj.kernel.none..")
      .because("BackendFactory is the only class naming a concrete backend");
}
