package voicecall.app.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import voicecall.app.calls.CallRecorder;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.knowledge.KnowledgeActivations;
import voicecall.app.recognition.LanguageRecognizers;
import voicecall.engine.dialogue.CallerWords;
import voicecall.engine.dialogue.Prompts;
import voicecall.engine.llm.LlmConfig;
import voicecall.engine.llm.LlmPhrasing;
import voicecall.rag.KnowledgeIndex;
import voicecall.tts.OrderedSynthesis;

/**
 * Wires the call flow as the call answering: the spoken conversation or the keypad menu, with the
 * prompts of {@code voicecall.tts.prompts.*} and the settings of {@code voicecall.dialogue.*}.
 * {@code voicecall.conversation.enabled=false} keeps the tone greeting for every call.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "voicecall.conversation.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class ConversationConfiguration {

  /**
   * The answering of every call: the spoken conversation where a recogniser serves the call's
   * language, the keypad menu otherwise.
   *
   * @param activations the knowledge versions, for the recogniser's language model
   * @param index the knowledge index
   * @param synthesis ordered synthesis with the audio cache
   * @param properties the configured prompts
   * @param meters where turn latency and decisions go
   * @param recognizers the recogniser for each call language
   * @param recorder the call records, when recording is on
   * @return the answering, closed with the context
   */
  @Bean(destroyMethod = "close")
  @Primary
  public ConversationAnswering conversationAnswering(
      KnowledgeActivations activations,
      KnowledgeIndex index,
      OrderedSynthesis synthesis,
      VoiceCallProperties properties,
      MeterRegistry meters,
      LanguageRecognizers recognizers,
      ObjectProvider<CallRecorder> recorder) {
    VoiceCallProperties.Prompts prompts = properties.tts().prompts();
    TurnMetrics metrics = new TurnMetrics(meters);
    CallRecorder records = recorder.getIfAvailable();
    return new ConversationAnswering(
        activations,
        index,
        synthesis,
        prompts(prompts.en(), CallerWords.english()),
        prompts(prompts.ko(), CallerWords.korean()),
        properties.dialogue().toSettings(),
        recognizers,
        properties.stt().local(),
        call -> records == null ? metrics : metrics.andThen(records.turns(call)),
        phrasing(properties.llm(), meters),
        Counter.builder("voicecall.conversation.keypad.fallbacks")
                .description(
                    "Calls that got the keypad menu because no recognition session was free")
                .register(meters)
            ::increment);
  }

  /** The LLM phrasing of answers, or null while {@code voicecall.llm.base-url} is empty. */
  static @Nullable AnswerPhrasing phrasing(VoiceCallProperties.Llm llm, MeterRegistry meters) {
    LlmConfig config = llm.toConfig();
    return config == null
        ? null
        : new AnswerPhrasing(LlmPhrasing.create(config), llm.maxEntries(), meters);
  }

  /**
   * The engine's prompts from a configured set.
   *
   * @param set the configured prompts of one language
   * @param words what callers say in that language
   * @return the prompts
   */
  static Prompts prompts(VoiceCallProperties.PromptSet set, CallerWords words) {
    return new Prompts(
        set.greeting(),
        set.anythingElse(),
        set.clarification(),
        set.rephrase(),
        set.transfer(),
        set.stillThere(),
        set.goodbye(),
        set.clarifyTwo(),
        set.clarifyOne(),
        set.clarifyChoose(),
        set.clarifyYesNo(),
        set.menuIntro(),
        set.menuItem(),
        set.menuOutro(),
        words);
  }
}
