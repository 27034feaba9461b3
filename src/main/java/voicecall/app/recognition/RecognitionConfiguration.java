package voicecall.app.recognition;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import voicecall.app.config.VoiceCallProperties;

/** Wires the recognisers per language and their metrics. */
@Configuration(proxyBeanMethods = false)
public class RecognitionConfiguration {

  /**
   * The recogniser for each call language.
   *
   * @param properties {@code voicecall.stt.*}
   * @param meters where the per-utterance metrics go
   * @return the recognisers, closed with the context
   */
  @Bean(destroyMethod = "close")
  public LanguageRecognizers languageRecognizers(
      VoiceCallProperties properties, MeterRegistry meters) {
    return new LanguageRecognizers(properties.stt().remote(), new RecognitionMetrics(meters));
  }
}
