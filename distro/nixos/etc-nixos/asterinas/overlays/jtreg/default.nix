# Adds jtreg 7.3.1+1, the OpenJDK regression test harness, built with
# openjdk21 and upstream's two patches. Upstream's openjdk tests run it
# (facts: overlays "jtreg"; catalog entry jtreg, overlay = "jtreg").
#
# Upstream: distro/etc_nixos/overlays/jtreg/default.nix. The same versions,
# sources, jars and hashes; jtreg's own build (make -C make) finds the
# bundled tools through the variables its makefiles read (JAVATEST_JAR,
# ASMTOOLS_JAR, JUNIT_JARS, TESTNG_JARS, their *_NOTICES, JDKHOME). The
# derivations are written here, not copied, so upstream's caches do not
# serve them; everything is built from the pinned sources.
final: _prev:
let
  inherit (final) lib;
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };
  jdk = final.openjdk21;

  # jtharness and asmtools: ant builds of upstream's tagged sources.
  antBuild =
    {
      pname,
      version,
      source,
      target,
      resultDir,
    }:
    final.stdenv.mkDerivation {
      inherit pname version;
      src = fetchUpstream.zip source;
      nativeBuildInputs = [
        final.ant
        jdk
      ];
      buildPhase = ''
        runHook preBuild
        ant -DBUILD_DIR="$NIX_BUILD_TOP" -f build/build.xml ${target}
        runHook postBuild
      '';
      installPhase = ''
        runHook preInstall
        mkdir -p "$out"
        cp -r "$NIX_BUILD_TOP/${resultDir}/." "$out/"
        runHook postInstall
      '';
    };

  jtharness = antBuild {
    pname = "jtharness";
    version = "6.0-b24";
    source = "jtharness-source";
    target = "dist";
    resultDir = "binaries";
  };

  asmtools = antBuild {
    pname = "asmtools";
    version = "7.0-b09";
    source = "asmtools-source";
    target = "release";
    resultDir = "release";
  };

  # Prebuilt jars with their licence text. jars: file name in lib/ -> entry
  # of upstream-patches.nix; license: { file; entry; }.
  jarBundle =
    {
      pname,
      version,
      jars,
      license,
    }:
    final.runCommand "${pname}-${version}" { } ''
      mkdir -p "$out/lib"
      cp ${fetchUpstream.file license.entry} "$out/${license.file}"
      ${lib.concatStrings (
        lib.mapAttrsToList (file: entry: ''
          cp ${fetchUpstream.file entry} "$out/lib/${file}"
        '') jars
      )}
    '';

  junit = jarBundle {
    pname = "junit";
    version = "1.8.2";
    jars."junit-platform-console-standalone.jar" = "junit-console-standalone-jar";
    license = {
      file = "LICENSE.md";
      entry = "junit-license";
    };
  };

  testng = jarBundle {
    pname = "testng";
    version = "7.3.0";
    jars = {
      "testng.jar" = "testng-jar";
      "jcommander.jar" = "jcommander-jar";
      "guice.jar" = "guice-jar";
    };
    license = {
      file = "LICENSE.txt";
      entry = "testng-license";
    };
  };
in
{
  jtreg = final.stdenv.mkDerivation {
    pname = "jtreg";
    version = "7.3.1";
    src = fetchUpstream.zip "jtreg-source";

    patches = [
      # call helper tools through PATH, not fixed /bin and /usr/bin paths
      (fetchUpstream.source "jtreg-use-tools-from-path")
      # JDK 21 warns on the helper classes; do not make that an error
      (fetchUpstream.source "jtreg-no-werror-for-helpers-on-jdk21")
    ];

    nativeBuildInputs = [
      final.ant
      jdk
      final.hostname
      final.pandoc
      final.perl
      final.html-tidy
      final.unzip
      final.zip
    ];

    env = {
      JDKHOME = "${jdk}";
      JAVA_SPECIFICATION_VERSION = "21";
      JAVATEST_JAR = "${jtharness}/lib/javatest.jar";
      JTHARNESS_NOTICES = "${jtharness}/legal/copyright.txt ${jtharness}/LICENSE";
      ASMTOOLS_JAR = "${asmtools}/lib/asmtools.jar";
      ASMTOOLS_NOTICES = "${asmtools}/LICENSE";
      JUNIT_JARS = "${junit}/lib/junit-platform-console-standalone.jar";
      JUNIT_NOTICES = "${junit}/LICENSE.md";
      TESTNG_JARS = "${testng}/lib/testng.jar ${testng}/lib/jcommander.jar ${testng}/lib/guice.jar";
      TESTNG_NOTICES = "${testng}/LICENSE.txt";
    };

    buildPhase = ''
      runHook preBuild
      make -C make BUILD_VERSION=7.3.1 BUILD_NUMBER=1
      runHook postBuild
    '';

    installPhase = ''
      runHook preInstall
      mkdir -p "$out"
      cp -r build/images/jtreg/. "$out/"
      runHook postInstall
    '';

    passthru = { inherit jtharness asmtools junit testng; };

    meta = {
      description = "OpenJDK regression test harness, built as Asterinas NixOS upstream builds it";
      homepage = "https://openjdk.org/jtreg/";
      license = lib.licenses.gpl2Classpath;
      platforms = lib.platforms.linux;
    };
  };
}
