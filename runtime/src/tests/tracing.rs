//! One SDK span per call, polls and pages included, when the client options carry a
//! `tracer_provider`: a recording tracer counts the spans and their names.

use super::{Canned, MockCredential, MockTransport, respond};
use crate::{
    ArmPipeline, ArmRequest, FinalStateVia, LongRunningRequest, PageRules, PollSettings,
    PollingOptions,
};
use azure_core::{
    http::{
        ClientMethodOptions, ClientOptions, Context, InstrumentationOptions, Method, NoFormat,
        Request, Transport, Url, poller::PollerOptions,
    },
    tracing::{
        AsAny, Attribute, AttributeValue, Span, SpanGuard, SpanKind, SpanStatus, Tracer,
        TracerProvider,
    },
};
use futures::TryStreamExt;
use std::{
    borrow::Cow,
    sync::{Arc, Mutex},
};

const OP: &str =
    "https://management.azure.com/subscriptions/s/providers/Test.Ops/widgets/w?api-version=1";
const LOC: &str = "https://management.azure.com/operationResults/1?api-version=1";

/// Hands out tracers that record the names of the spans they start.
#[derive(Debug, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl TracerProvider for Recorder {
    fn get_tracer(
        &self,
        _: Option<&'static str>,
        _: &'static str,
        _: Option<&'static str>,
    ) -> Arc<dyn Tracer> {
        Arc::new(RecordingTracer(self.0.clone()))
    }
}

#[derive(Debug)]
struct RecordingTracer(Arc<Mutex<Vec<String>>>);

impl Tracer for RecordingTracer {
    fn start_span(&self, name: Cow<'static, str>, _: SpanKind, _: Vec<Attribute>) -> Arc<dyn Span> {
        self.0.lock().unwrap().push(name.into_owned());
        Arc::new(NoopSpan)
    }

    fn start_span_with_parent(
        &self,
        name: Cow<'static, str>,
        kind: SpanKind,
        attributes: Vec<Attribute>,
        _: Arc<dyn Span>,
    ) -> Arc<dyn Span> {
        self.start_span(name, kind, attributes)
    }

    fn namespace(&self) -> Option<&'static str> {
        None
    }
}

struct NoopSpan;

impl AsAny for NoopSpan {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

struct NoopGuard;

impl SpanGuard for NoopGuard {
    fn end(self) {}
}

impl Span for NoopSpan {
    fn is_recording(&self) -> bool {
        true
    }
    fn span_id(&self) -> [u8; 8] {
        [1; 8]
    }
    fn end(&self) {}
    fn set_status(&self, _: SpanStatus) {}
    fn set_attribute(&self, _: &'static str, _: AttributeValue) {}
    fn record_error(&self, _: &dyn std::error::Error) {}
    fn set_current(&self, _: &Context) -> Box<dyn SpanGuard> {
        Box::new(NoopGuard)
    }
    fn propagate_headers(&self, _: &mut Request) {}
}

fn traced(script: Vec<Canned>) -> (Arc<Recorder>, ArmPipeline) {
    let recorder = Arc::new(Recorder::default());
    let options = ClientOptions {
        transport: Some(Transport::new(MockTransport::new(script))),
        instrumentation: InstrumentationOptions {
            tracer_provider: Some(recorder.clone()),
        },
        ..Default::default()
    };
    let pipeline = ArmPipeline::new(
        "t",
        "1",
        Arc::new(MockCredential::default()),
        options,
        PollingOptions { timeout: None },
    )
    .unwrap();
    (recorder, pipeline)
}

fn spans_of(recorder: &Recorder) -> Vec<String> {
    recorder.0.lock().unwrap().clone()
}

#[tokio::test(start_paused = true)]
async fn every_kind_of_call_is_one_named_span() {
    let (recorder, pipeline) = traced(vec![
        respond(200).body("{}"),
        respond(202).header("Location", LOC),
        respond(202),
        respond(204),
        respond(200).body(r#"{"value":[{"name":"a"}],"nextLink":"/page2"}"#),
        respond(200).body(r#"{"value":[{"name":"b"}]}"#),
    ]);
    let url = Url::parse(OP).unwrap();
    pipeline
        .send::<serde_json::Value, azure_core::http::JsonFormat>(
            Ok(ArmRequest::new(Method::Get, url.clone()).api("Test.Ops.Widgets.get")),
            Context::new(),
        )
        .await
        .unwrap();
    let settings = PollSettings {
        options: PollerOptions {
            frequency: azure_core::time::Duration::milliseconds(1),
            ..Default::default()
        },
        timeout: None,
    };
    let request = LongRunningRequest {
        operation: "Widgets_Delete",
        request: ArmRequest::new(Method::Delete, url.clone()).api("Test.Ops.Widgets.delete"),
        final_state_via: Some(FinalStateVia::Location),
    };
    pipeline
        .begin_long_running::<(), NoFormat>(request, settings)
        .await
        .unwrap();
    let pager: azure_core::http::Pager<super::pager::DiskList> = pipeline.pager(
        ArmRequest::new(Method::Get, url).api("Test.Ops.Widgets.list"),
        PageRules {
            next_link_name: Some("nextLink"),
            api_version: None,
        },
        ClientMethodOptions::default(),
    );
    let items: Vec<_> = pager.try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
    // One SDK span per call, named by the API: the polls and the second page join their
    // call's span instead of opening their own. Under it, azure_core's HTTP span per request.
    assert_eq!(
        spans_of(&recorder),
        [
            "Test.Ops.Widgets.get",
            "GET",
            "Test.Ops.Widgets.delete",
            "DELETE",
            "GET",
            "GET",
            "Test.Ops.Widgets.list",
            "GET",
            "GET",
        ]
    );
}
