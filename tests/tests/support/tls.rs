//! A certificate authority made at run time, a server certificate it signs for `127.0.0.1` and
//! `localhost`, and a reqwest client that trusts that CA and nothing else.
//!
//! rcgen and rustls both use aws-lc-rs, the provider azure_core's reqwest already builds.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use std::{sync::Arc, time::Duration};
use tokio_rustls::rustls::{
    self, ServerConfig,
    pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
};

/// The CA every server of one test presents a certificate from, and the client trusts.
#[derive(Clone)]
pub struct TestCa {
    ca_certificate: CertificateDer<'static>,
    server_config: Arc<ServerConfig>,
}

impl TestCa {
    /// A fresh CA and a server certificate for `127.0.0.1` and `localhost`.
    pub fn new() -> Self {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "codegen_tests run-time CA");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
            .expect("self-signed CA");

        let server_key = KeyPair::generate().expect("server key");
        let mut server_params =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
                .expect("server params");
        server_params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server_params.use_authority_key_identifier_extension = true;
        server_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_certificate = server_params
            .signed_by(&server_key, &ca)
            .expect("server certificate");

        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let server_config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![server_certificate.der().clone(), ca.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .expect("server TLS config");
        Self {
            ca_certificate: ca.der().clone(),
            server_config: Arc::new(server_config),
        }
    }

    pub fn server_config(&self) -> Arc<ServerConfig> {
        self.server_config.clone()
    }

    /// The CA's certificate, for a reqwest client of a test's own making.
    pub fn certificate(&self) -> reqwest::Certificate {
        reqwest::Certificate::from_der(&self.ca_certificate).expect("CA certificate")
    }

    /// A reqwest client that trusts only this CA, uses no proxy and follows no redirects (as
    /// azure_core's own client), with timeouts so that no test can hang on the network.
    pub fn reqwest_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .tls_certs_only([self.certificate()])
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest client")
    }
}
