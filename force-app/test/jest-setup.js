// Registers @sa11y/jest's toBeAccessible() matcher for every LWC test.
const { setup } = require('@sa11y/jest');

setup();
