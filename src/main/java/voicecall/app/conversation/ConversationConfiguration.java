package voicecall.app.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import voicecall.app.calls.CallRecorder;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.knowledge.KnowledgeActivations;
import voicecall.engine.dialogue.Prompts;
import voicecall.rag.KnowledgeIndex;
import voicecall.tts.OrderedSynthesis;

/**
 * Wires the spoken conversation as the call answering. {@code voicecall.conversation.enabled=false}
 * keeps the tone greeting for every call.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "voicecall.conversation.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class ConversationConfiguration {

  /** How many unmatched questions in a row lead to a transfer. */
  static final int MAX_MISSES = 2;

  /** Said after an answer. */
  static final String ANYTHING_ELSE = "Is there anything else I can help you with?";

  /** Said before the top candidate's answer when the knowledge base is unsure. */
  static final String CLARIFY = "I am not quite sure, but I think this is what you need.";

  /**
   * The answering of every call: the conversation for English calls, the tone greeting otherwise.
   *
   * @param activations the knowledge versions, for the recogniser's language model
   * @param index the knowledge index
   * @param synthesis ordered synthesis with the audio cache
   * @param properties the configured prompts
   * @param meters where turn latency and decisions go
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
      ObjectProvider<CallRecorder> recorder) {
    VoiceCallProperties.PromptSet en = properties.tts().prompts().en();
    Prompts prompts =
        new Prompts(
            en.greeting(), ANYTHING_ELSE, CLARIFY, en.rephrase(), en.transfer(), MAX_MISSES);
    TurnMetrics metrics = new TurnMetrics(meters);
    CallRecorder records = recorder.getIfAvailable();
    return new ConversationAnswering(
        activations,
        index,
        synthesis,
        prompts,
        call -> records == null ? metrics : metrics.andThen(records.turns(call)));
  }
}
