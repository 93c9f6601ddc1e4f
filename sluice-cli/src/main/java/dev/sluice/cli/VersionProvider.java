package dev.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code sluice --version}: the version Maven wrote into the jar's manifest, and the Java running it. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
                "sluice " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.home") + ")"};
    }

    static String version() {
        String version = SluiceCommand.class.getPackage().getImplementationVersion();
        return version != null ? version : "development build";
    }
}
