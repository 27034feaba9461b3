/** Tests that parse the shipped Asterisk configuration. */
@NullMarked
package voicecall.pbx;

import org.jspecify.annotations.NullMarked;
