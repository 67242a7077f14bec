# Which route table a subnet uses, in a VPC with a secondary IPv4 CIDR and an IPv6 block
# added by association resources, and an IGW attached by aws_internet_gateway_attachment.
#
# Tables:
#   aws_default_route_table.original  the VPC's original main table, given a route to the IGW;
#                                     explicitly associated with subnet "legacy" only
#   aws_route_table.private_main      made the MAIN table by aws_main_route_table_association
#                                     (local only). Subnet "implicit" has no association and
#                                     inherits it -> private (NOT the original main table's IGW route)
#   aws_route_table.public            0.0.0.0/0 and ::/0 -> IGW; subnets "public", "secondary", "dualstack"
#   aws_route_table.edge              edge association with the IGW: 10.0.1.0/24 -> appliance ENI
#   aws_route_table.orphan            associated with nothing                -> TFVPC405
#   aws_route_table.dup               two aws_route with 0.0.0.0/0           -> TFVPC107
#   aws_route_table.wrong_igw         0.0.0.0/0 -> the IGW of VPC "other"    -> TFVPC103
# Near misses: "public" routes to an IGW attached to this VPC through the attachment resource
# (not 103); "legacy", "public", "private_main" and "edge" are all in use (not 405).

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "secondary" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "ipv6" {
  vpc_id                           = aws_vpc.main.id
  assign_generated_ipv6_cidr_block = true
}

# Created without vpc_id, attached separately.
resource "aws_internet_gateway" "main" {
  tags = { Name = "main" }
}

resource "aws_internet_gateway_attachment" "main" {
  vpc_id              = aws_vpc.main.id
  internet_gateway_id = aws_internet_gateway.main.id
}

# --- subnets -------------------------------------------------------------------------------

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  availability_zone       = "us-east-1a"
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "appliance" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.2.0/24"
}

resource "aws_subnet" "implicit" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.3.0/24"
}

resource "aws_subnet" "legacy" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.4.0/24"
}

resource "aws_subnet" "dup" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.5.0/24"
}

resource "aws_subnet" "wrong" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.6.0/24"
}

# In the secondary CIDR: vpc_id comes through the association, so the subnet waits for it.
resource "aws_subnet" "secondary" {
  vpc_id                  = aws_vpc_ipv4_cidr_block_association.secondary.vpc_id
  availability_zone       = "us-east-1c"
  cidr_block              = "10.1.0.0/24"
  map_public_ip_on_launch = true
}

# Dual stack, IPv6 from the associated block.
resource "aws_subnet" "dualstack" {
  vpc_id                          = aws_vpc.main.id
  availability_zone               = "us-east-1c"
  cidr_block                      = "10.0.7.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc_ipv6_cidr_block_association.ipv6.ipv6_cidr_block, 8, 7)
  assign_ipv6_address_on_creation = true
  map_public_ip_on_launch         = true
}

# --- the original main table and its replacement ----------------------------------------

resource "aws_default_route_table" "original" {
  default_route_table_id = aws_vpc.main.default_route_table_id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "legacy" {
  subnet_id      = aws_subnet.legacy.id
  route_table_id = aws_default_route_table.original.id
}

resource "aws_route_table" "private_main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "private-main" }
}

resource "aws_main_route_table_association" "main" {
  vpc_id         = aws_vpc.main.id
  route_table_id = aws_route_table.private_main.id
}

# (aws_subnet.implicit has no aws_route_table_association: it uses private_main.)

# --- public ------------------------------------------------------------------------------

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }

  depends_on = [aws_internet_gateway_attachment.main]
}

resource "aws_route_table_association" "public" {
  for_each = {
    public    = aws_subnet.public.id
    secondary = aws_subnet.secondary.id
    dualstack = aws_subnet.dualstack.id
  }
  subnet_id      = each.value
  route_table_id = aws_route_table.public.id
}

# --- ingress routing: edge association with the IGW --------------------------------------

# An inspection appliance; traffic from the internet to the public subnet goes through it.
resource "aws_network_interface" "appliance" {
  subnet_id         = aws_subnet.appliance.id
  source_dest_check = false
}

resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block           = "10.0.1.0/24"
    network_interface_id = aws_network_interface.appliance.id
  }
}

resource "aws_route_table_association" "edge" {
  gateway_id     = aws_internet_gateway.main.id
  route_table_id = aws_route_table.edge.id
}

resource "aws_route_table_association" "appliance" {
  subnet_id      = aws_subnet.appliance.id
  route_table_id = aws_route_table.public.id
}

# --- problems ----------------------------------------------------------------------------

# WRONG: associated with no subnet and no gateway (TFVPC405).
resource "aws_route_table" "orphan" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "orphan" }
}

# WRONG: two static routes for 0.0.0.0/0 in one table; the second fails at apply (TFVPC107).
resource "aws_route_table" "dup" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "dup_via_igw" {
  route_table_id         = aws_route_table.dup.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_route" "dup_via_appliance" {
  route_table_id         = aws_route_table.dup.id
  destination_cidr_block = "0.0.0.0/0"
  network_interface_id   = aws_network_interface.appliance.id
}

resource "aws_route_table_association" "dup" {
  subnet_id      = aws_subnet.dup.id
  route_table_id = aws_route_table.dup.id
}

# WRONG: the route targets the internet gateway of ANOTHER VPC (TFVPC103).
resource "aws_vpc" "other" {
  cidr_block = "172.31.0.0/16"
}

resource "aws_internet_gateway" "other" {
  vpc_id = aws_vpc.other.id
}

resource "aws_route_table" "wrong_igw" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.other.id
  }
}

resource "aws_route_table_association" "wrong" {
  subnet_id      = aws_subnet.wrong.id
  route_table_id = aws_route_table.wrong_igw.id
}
