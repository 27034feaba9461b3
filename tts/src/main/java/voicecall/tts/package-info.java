/**
 * Speech output: sentence splitting, normalisation, synthesisers and ordered parallel synthesis;
 * free of Spring and Netty.
 */
@NullMarked
package voicecall.tts;

import org.jspecify.annotations.NullMarked;
