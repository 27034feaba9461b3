package voicecall.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the voice-call engine: a Spring Boot WebFlux application on Reactor Netty. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VoiceCallApplication {

  /**
   * Starts the engine.
   *
   * @param args Spring Boot command-line arguments, e.g. {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(VoiceCallApplication.class, args);
  }
}
