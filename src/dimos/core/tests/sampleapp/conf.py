from dimos.core.conf import AppConf, Setting


class SampleConf(AppConf):
    GREETING = Setting("DIMOS_SAMPLE_GREETING", str, "hello")
    LIMIT = Setting("DIMOS_SAMPLE_LIMIT", int, 3)
    ON = Setting("DIMOS_SAMPLE_ON", bool, False)


conf = SampleConf()
