/**
 * The AWS SDK warns that its releases after January 2027 need Node 22. The project runs on Node 20 by choice (the
 * machine's), so in test output the warning is noise that hides real ones; the SDK's own switch turns it off.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
