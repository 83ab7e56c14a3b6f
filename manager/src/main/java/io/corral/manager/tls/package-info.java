/**
 * Node identities, TLS material and peer identity from certificates, used by the CA, the RPC
 * authoriser, the store's Raft transport and the daemon alike.
 */
package io.corral.manager.tls;
