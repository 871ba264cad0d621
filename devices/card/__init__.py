"""The OMS policy card: numbers, chip records, the PC/SC reader and the virtual card.

Pure code (no pyscard): ``enp`` (check digit), ``numbers`` (typed-input classifier),
``tlv`` and ``policy_record`` (chip data), ``profile`` (virtual card profiles).
PC/SC: ``reader`` (APDU logic), ``pcsc`` (time-boxed pyscard calls), ``monitor``
(card events), ``pcscd`` (a private pcscd with vpcd), ``virtual_card`` (the card).
Nothing is imported here, so ``devices.card.enp`` stays free of pyscard.
"""
