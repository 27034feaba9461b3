/** Tests of the recognisers per language, their metrics and the recognition endpoint. */
@NullMarked
package voicecall.app.recognition;

import org.jspecify.annotations.NullMarked;
