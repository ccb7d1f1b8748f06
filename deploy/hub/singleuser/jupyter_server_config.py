"""Settings every student's Jupyter server loads: the hub points JUPYTER_CONFIG_PATH at this folder.

Kernel websockets are sent without Nagle's algorithm (TCP_NODELAY). A demo's slider move makes
the kernel send a few messages in a row (the control's echo, the new figure, its description);
with Nagle on, the small ones after the figure can wait for an acknowledgement that the other
side delays (deploy/hub/README.md, "Kernel websockets").
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """The standard kernel websocket connection, with TCP_NODELAY set on its socket."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


c = get_config()  # noqa: F821  (defined by Jupyter when it runs a config file)
c.ServerApp.kernel_websocket_connection_class = NoDelayKernelConnection
