package voicecall.app.calls;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import voicecall.app.TestDatabases;

/** The call records API on the embedded H2 file database, fresh for this class. */
class CallsApiH2IT extends CallsApiContractIT {

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    TestDatabases.useFreshH2(registry, "voicecall-calls-it");
  }
}
