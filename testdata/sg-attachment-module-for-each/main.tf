# Instances from a module called with for_each guarded by `aws_security_group.app` (HTTPS
# from the VPC). The root attaches `aws_security_group.admin` (SSH from the VPC) to one of
# them through `module.app[each.key].web_network_interface_id`, which terraform's plan JSON
# lists as `module.app` and `each.key` only; the module has two outputs naming network
# interfaces, so which one the attachment names is not known at plan time. It attaches
# `aws_security_group.bastion` (SSH from anywhere) the same way; the subnet is public.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_subnet" "main" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "admin" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "client" {
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "app" {
  source   = "./modules/app"
  for_each = { a = "a" }

  vpc_id            = aws_vpc.main.id
  subnet_id         = aws_subnet.main.id
  security_group_id = aws_security_group.app.id
}

resource "aws_instance" "client" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.main.id
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_network_interface_sg_attachment" "admin" {
  for_each = { a = "a" }

  network_interface_id = module.app[each.key].web_network_interface_id
  security_group_id    = aws_security_group.admin.id
}

resource "aws_security_group" "bastion" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_network_interface_sg_attachment" "bastion" {
  for_each = { a = "a" }

  network_interface_id = module.app[each.key].worker_network_interface_id
  security_group_id    = aws_security_group.bastion.id
}

# The admin group on one of the module's endpoints, named the same way: which one is not
# known at plan time.
resource "aws_vpc_endpoint_security_group_association" "admin" {
  for_each = { a = "a" }

  vpc_endpoint_id   = module.app[each.key].ssm_endpoint_id
  security_group_id = aws_security_group.admin.id
}
