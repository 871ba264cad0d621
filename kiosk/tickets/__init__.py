"""Tickets: what they say (model), how they are laid out (layout), and the technician's print test.

Building and printing a ticket (on a worker thread; never raises for printer trouble)::

    from devices.printer.factory import open_printer
    from kiosk.tickets.layout import ticket_document
    from kiosk.tickets.model import ticket_for

    printer = open_printer(config.printer)
    ticket = ticket_for(appointment, patient.short_name, footer=config.ticket.footer,
                        kiosk_id=config.kiosk.kiosk_id, now=now, building=config.ticket.building)
    result = printer.print_document(ticket_document(ticket, config.printer.columns))
    # result.delivery: printed (the printer confirmed it) / unknown (sent, not confirmed) /
    # not_printed; result.ok means printed. result.reason / result.warning; result.png_path is
    # the picture to show on screen (preview printer, or any ticket not confirmed printed)
"""
