"""The settings of deliveries (docs/configuration.md), read as ``conf.START_LAT``."""

from dimos.core.conf import AppConf, Setting


class DeliveriesConf(AppConf):
    # Where every run starts (the municipality's depot or town hall): the nearest-neighbour
    # order of a run's stops and its distance are measured from here. Serres town hall.
    START_LAT = Setting("DIMOS_DELIVERIES_START_LAT", float, 41.0856)
    START_LON = Setting("DIMOS_DELIVERIES_START_LON", float, 23.5484)


conf = DeliveriesConf()
