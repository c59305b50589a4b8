from dimos.core.manifest import (
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    Mount,
    NotificationKind,
    Role,
    StaffQueue,
    ref,
)


class SampleConfig(DimosAppConfig):
    name = "dimos.core.tests.sampleapp"
    label = "sample"
    manifest = Manifest(
        urls="dimos.core.tests.sampleapp.urls",
        staff_urls="dimos.core.tests.sampleapp.staff_urls",
        api=ApiRouter("/sample", "dimos.core.tests.sampleapp.api.router"),
        mounts=(Mount("sample-feed/", "dimos.core.tests.sampleapp.feed_urls"),),
        conf="dimos.core.tests.sampleapp.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="sample-service",
                topic="city",
                name="A sample service",
                summary="Plugged in by its manifest.",
                audience="Everyone",
                url_name="sample:hello",
            ),
        ),
        queues=(
            StaffQueue(
                key="sample-queue",
                title="Sample queue",
                url_name="sample_staff:desk",
                permission="accounts.view_user",
                counts=ref("dimos.core.tests.sampleapp.views.counts"),
            ),
        ),
        roles=(
            Role(
                key="sample_role",
                name="Sample role",
                description="does samples",
                permissions=("accounts.view_user",),
            ),
        ),
        notification_kinds=(NotificationKind(key="sample.hello", title="Hello"),),
        seeders=(
            DemoSeeder(
                key="sample", seed=ref("dimos.core.tests.sampleapp.views.seed"), after=("accounts",)
            ),
        ),
    )
