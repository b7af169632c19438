package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenModeWarningTest {
    @Test
    void loopbackAddressesNeedNoWarningAndEverythingElseDoes() {
        assertThat(OpenModeWarning.isLoopback("127.0.0.1")).isTrue();
        assertThat(OpenModeWarning.isLoopback("127.0.0.2")).isTrue();
        assertThat(OpenModeWarning.isLoopback("::1")).isTrue();
        assertThat(OpenModeWarning.isLoopback("localhost")).isTrue();
        assertThat(OpenModeWarning.isLoopback("0.0.0.0")).isFalse();
        assertThat(OpenModeWarning.isLoopback("::")).isFalse();
        assertThat(OpenModeWarning.isLoopback("10.1.2.3")).isFalse();
    }
}
